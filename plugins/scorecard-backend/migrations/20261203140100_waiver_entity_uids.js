// @ts-check

/*
 * Waivers belong to the entity they were made for, by its catalog uid, not
 * to its ref: an entity deleted and registered again under the same ref is
 * another entity and inherits none. Each entity's row keeps the uid it was
 * evaluated as. The catalog is another plugin's database, so waivers
 * recorded before have no uid here; the next evaluation of their entity
 * gives them its current uid.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecard_waivers', table => {
    table
      .string('entity_uid', 255)
      .nullable()
      .comment("The entity's catalog uid; null until its next evaluation");
    table.index(['entity_uid'], 'scorecard_waivers_entity_uid_idx');
  });
  await knex.schema.alterTable('scorecard_entities', table => {
    table.string('entity_uid', 255).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecard_entities', table => {
    table.dropColumn('entity_uid');
  });
  await knex.schema.alterTable('scorecard_waivers', table => {
    table.dropIndex([], 'scorecard_waivers_entity_uid_idx');
    table.dropColumn('entity_uid');
  });
};
