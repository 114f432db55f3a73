// npm run evidence:schema — regenerates electron/services/evidence/evidence-v1.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { evidenceJsonSchema } from '../electron/services/evidence/pack';

writeFileSync('electron/services/evidence/evidence-v1.schema.json', evidenceJsonSchema());
console.log('wrote electron/services/evidence/evidence-v1.schema.json');
