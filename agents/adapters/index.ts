/**
 * Adapters: scenario nodes bound to real FHIR R4 gateways. The only part of
 * agents/ that does network I/O and reads the wall clock. `runLoad` drives a
 * gateway with a scenario's traffic (open model, coordinated-omission
 * corrected); `prepareGateways` seeds it with the population; the builders
 * and the outcome mapping are exported for tests and benchmarks.
 */
export { runLoad, type LoadOptions } from './load.ts';
export { LoadFaults, notApplicable, type FaultVerdict } from './load-faults.ts';
export { faultWindows, windowTally, activeAt, type FaultWindow } from './fault-windows.ts';
export type { LoadFaultTally } from './result.ts';
export { prepareGateways, PREPARE_RETRY, type PrepareOptions, type PrepareResult, type GatewaySeeding } from './prepare.ts';
export { GatewayClient, ResponseHeaders, classifyError, retryAfterMs, type GatewayOptions, type GatewayRequest, type GatewayResult, type TlsOptions, type TransportError, type HttpMethod } from './gateway.ts';
export { runOpenModel, type OpenModelOptions, type OpenModelResult } from './open-model.ts';
export { planLoad, IOT_UPLOAD_INTERVAL_MS, MAX_READINGS_PER_DEVICE, type LoadPlan, type PlannedFlow, type IotUpload, type DeviceReadings } from './plan.ts';
export { Bindings, type Route, type LoadFlowKind } from './routing.ts';
export { Identities } from './identities.ts';
export { ADAPTER_REASON, reasonForStatus, reasonForTransport, retryable, type Interaction } from './outcome.ts';
export { ENDPOINT, endpointKey, RECORDED_BY_EARLIER_ATTEMPT, runFlow, call, type ExecContext, type CallResult } from './flows.ts';
export { retrieveSummary, summaryRetrieval, declaresSummary, newestCurrent, documentPath, summaryReferencesPath, bundleResources, type SummarySend, type SummaryRetrieval } from './summary.ts';
export { EndpointStats, type EndpointTally, type LoadResult, type LoadTally } from './result.ts';
export {
  SYSTEM,
  nationalIdSystem,
  patientIdentity,
  token,
  identifierQuery,
  nameUuid,
  instantAt,
  patientResource,
  conditionResource,
  medicationResource,
  medicationRequestResource,
  medicationsTransaction,
  patientTransaction,
  patientFullUrl,
  dispensationTransaction,
  dispenseIdentifier,
  observationBatch,
  type PatientIdentity,
  type DispensationInput,
  type ObservationBatchInput,
} from './fhir.ts';
export {
  PATIENT_SUMMARY_TYPE,
  PATIENT_SUMMARY_SECTIONS,
  FHIR_JSON,
  patientSummaryDocument,
  summaryDocumentReference,
  patientSummaryEntries,
  summaryDocumentIdentifier,
  summaryReferenceIdentifier,
} from './fhir-summary.ts';
