// @ts-check

/*
 * Indexes in the overview's sort orders, each ending in entity_ref as its
 * ORDER BY does, in both directions of the sorted column (names always
 * ascending within a level or a number of failed checks): a page of any
 * sort, at any offset, is read from an index instead of sorting every
 * matching row.
 */

const INDEXES = {
  scorecard_entities_level_asc_idx: 'level_rank, name, entity_ref',
  scorecard_entities_level_desc_idx: 'level_rank DESC, name, entity_ref',
  scorecard_entities_failed_asc_idx: 'failed, name, entity_ref',
  scorecard_entities_failed_desc_idx: 'failed DESC, name, entity_ref',
  scorecard_entities_name_ref_idx: 'name, entity_ref',
};

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecard_entities', table => {
    table.dropIndex([], 'scorecard_entities_level_idx');
    table.dropIndex([], 'scorecard_entities_name_idx');
  });
  for (const [name, columns] of Object.entries(INDEXES)) {
    await knex.raw(`CREATE INDEX ${name} ON scorecard_entities (${columns})`);
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecard_entities', table => {
    for (const name of Object.keys(INDEXES)) table.dropIndex([], name);
    table.index(['level_rank', 'name'], 'scorecard_entities_level_idx');
    table.index(['name'], 'scorecard_entities_name_idx');
  });
};
