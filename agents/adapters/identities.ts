/**
 * Patients' identities as the gateway knows them (names, birth date, national
 * id, EHIC), generated on first use from the patient's own stream of
 * replication 0 and kept: `--prepare` and the load run derive the same
 * identifiers for the same patient, so a lookup finds what seeding created.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import { DemographicsGenerator, type Patient } from '../population/index.ts';
import { replicationStream } from '../replication.ts';
import { patientIdentity, type PatientIdentity } from './fhir.ts';

export class Identities {
  private readonly generator: DemographicsGenerator;
  private readonly rep: RandomStream;
  private readonly byId = new Map<string, PatientIdentity>();

  constructor(spec: ScenarioSpec) {
    this.generator = new DemographicsGenerator(spec);
    this.rep = replicationStream(spec, 0);
  }

  get(p: Patient): PatientIdentity {
    let id = this.byId.get(p.id);
    if (id === undefined) {
      id = patientIdentity(p, this.generator.generate(p, this.rep));
      this.byId.set(p.id, id);
    }
    return id;
  }
}
