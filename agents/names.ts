/**
 * The report's vocabulary: flow names, protocol step names and node kinds, in
 * their canonical order (reports list them in this order, never in map order).
 */

export const FLOW_NAMES = ['patientSummary', 'ePrescription', 'eDispensation', 'iotUpload', 'consentChange'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

export const STEP_NAMES = ['hcpAssertion', 'xcpd', 'trc', 'xcaQuery', 'xcaRetrieve', 'translate', 'dispense', 'xdrSubmit'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type NodeKind = 'ncp' | 'pharmacy' | 'hospital';
