// @ts-check

/*
 * Which entities read which GitOps folder or source repository, written when
 * facts are collected: whichever replica receives a change event finds the
 * entities to re-grade here, not in the memory of the process that collected.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_gitops_change_index', table => {
    table
      .string('source', 32)
      .notNullable()
      .comment('What the key is: gitops-folder or source-repository');
    table
      .string('key', 512)
      .notNullable()
      .comment('A folder of the GitOps repository, or a source repository');
    table.string('entity_ref', 255).notNullable();
    table.primary(['source', 'key', 'entity_ref']);
    table.index(
      ['source', 'entity_ref'],
      'scorecard_gitops_change_index_entity_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_gitops_change_index');
};
