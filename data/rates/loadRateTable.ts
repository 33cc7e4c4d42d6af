import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isKnownCurrency } from '../../services/money.js';
import { rateTableProblems, type RateTable } from '../../services/rates.js';

export const SAMPLE_RATES_PATH = fileURLToPath(new URL('./sample-rates.json', import.meta.url));

const RateTableFile = z.object({
  label: z.string().min(1),
  currency: z.string().refine(isKnownCurrency, 'an ISO 4217 currency code'),
  rates: z
    .array(
      z.object({
        callType: z.string().min(1),
        destination: z.string().min(1),
        perMinute: z.string(),
        connectionFee: z.string().default('0'),
      }),
    )
    .min(1),
});

/** Loads the operator's rate table, or the shipped sample; a bad file stops the start with the reason. */
export async function loadRateTable(path: string | null): Promise<RateTable> {
  const file = path ?? SAMPLE_RATES_PATH;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Rate table ${file} cannot be read: ${(error as Error).message}`);
  }
  const parsed = RateTableFile.safeParse(json);
  if (!parsed.success) throw new Error(`Rate table ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const problems = rateTableProblems(parsed.data);
  if (problems.length > 0) throw new Error(`Rate table ${file} is invalid: ${problems.join('; ')}`);
  return parsed.data;
}
