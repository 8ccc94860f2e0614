"""The audit log's guards on SQLite, which has no pgtrigger (migration 0002 installs them; a change here needs
a new migration)."""

# SQLite has no pgtrigger: the same guards as plain triggers. Deleting needs the prune gate (a table only the
# pruning transaction writes a row to, and that Django does not manage, so a test database's flush leaves it).
SQLITE_GUARDS = [
    "CREATE TABLE audit_prune_gate (id integer PRIMARY KEY)",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditlog
    WHEN OLD.chain_seq IS NOT NULL OR NEW.chain_seq IS NULL
      OR OLD.created_at IS NOT NEW.created_at OR OLD.actor_id IS NOT NEW.actor_id
      OR OLD.actor_name IS NOT NEW.actor_name OR OLD.actor_org_id IS NOT NEW.actor_org_id
      OR OLD.action IS NOT NEW.action OR OLD.object_type IS NOT NEW.object_type
      OR OLD.object_id IS NOT NEW.object_id OR OLD.ip IS NOT NEW.ip OR OLD.success IS NOT NEW.success
      OR OLD.detail IS NOT NEW.detail OR OLD.row_hash IS NOT NEW.row_hash
    BEGIN SELECT RAISE(ABORT, 'audit log rows cannot be changed'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditlog
    WHEN NOT EXISTS (SELECT 1 FROM audit_prune_gate)
    BEGIN SELECT RAISE(ABORT, 'audit log rows are deleted only by pruning'); END""",
]
SQLITE_GUARDS_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TABLE IF EXISTS audit_prune_gate",
]
