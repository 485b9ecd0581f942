/**
 * Feature schema ids a bundle may name. The model schema is models/features' FEATURE_SCHEMA_VERSION
 * (read from each model's card); signatures/fields exports no schema id for the field namespace a
 * pack reads (signatures/fields/vigie-fields.ts), so it is defined here: bump it when a field is
 * removed or changes type. A tiny module on purpose: sensors import it without the pack compiler.
 */
export const PACK_FIELD_SCHEMA = 'vigie.fields/1';
