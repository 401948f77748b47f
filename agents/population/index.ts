/**
 * The population's public surface: patient types, the seeded clinical generator
 * (cheap, used for every run) and lazy demographics (faker-backed, for the demo
 * and FHIR seeding). Importing this pulls in faker; a hot path that needs only
 * patients may import generate.ts directly.
 */
export { IDENTITY_MEANS, type Patient, type Prescription, type Sex } from './patient.ts';
export { generatePatient, generatePopulation, PopulationSampler, patientStream, conditionProbability, CHILD_PREVALENCE_FACTOR, MAX_AGE } from './generate.ts';
export { demographics, DemographicsGenerator, type Demographics, type Address } from './demographics.ts';
export { nationalId, ehicNumber, isValidHetu } from './identifiers.ts';
