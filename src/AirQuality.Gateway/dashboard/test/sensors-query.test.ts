import { describe, expect, it } from 'vitest';
import { isAreaTooLarge } from '../src/gql';
import { SENSORS, sensorVariables } from '../src/queries';

describe('sensorVariables', () => {
  const bbox: [number, number, number, number] = [5, 45, 15, 55];
  const none = { country: '', minIndex: null, maxIndex: null, status: null };
  it('colours by the standard but does not filter by it without an index bound (sensors with no index stay on the map)', () => {
    const v = sensorVariables(bbox, 'UK_DAQI', none, 500, null);
    expect(v).toEqual({ bbox, standard: 'UK_DAQI', indexStandard: null, country: null, minIndex: null, maxIndex: null, status: null, first: 500, after: null });
  });
  it('filters by the standard when an index bound is set', () => {
    expect(sensorVariables(bbox, 'US_EPA_2024', { ...none, minIndex: 0 }, 500, 'c1')).toMatchObject({ indexStandard: 'US_EPA_2024', minIndex: 0, after: 'c1' });
    expect(sensorVariables(bbox, 'EU_EAQI_2024', { ...none, maxIndex: 3, country: 'DE' }, 500, null)).toMatchObject({ indexStandard: 'EU_EAQI_2024', maxIndex: 3, country: 'DE' });
  });
  it('the query gives the filter its own variable', () => {
    expect(SENSORS).toContain('standard: $indexStandard');
    expect(SENSORS).toContain('aqi(standard: $standard)');
  });
});

describe('isAreaTooLarge', () => {
  const tooLarge = {
    message: 'Area too large: the area covers 616 index tiles, more than the 512 a query may touch; narrow the bbox, radius or country.',
    path: ['sensors'],
    extensions: { code: 'BAD_USER_INPUT' },
  };
  it("is the index's refusal of a view larger than one query may cover", () => expect(isAreaTooLarge([tooLarge])).toBe(true));
  it('is not another bad input, another code, or no error at all', () => {
    expect(isAreaTooLarge([{ ...tooLarge, message: 'bbox must be four numbers' }])).toBe(false);
    expect(isAreaTooLarge([{ ...tooLarge, extensions: { code: 'INTERNAL' } }])).toBe(false);
    expect(isAreaTooLarge([tooLarge, { message: 'boom' }])).toBe(false);
    expect(isAreaTooLarge([])).toBe(false);
  });
});
