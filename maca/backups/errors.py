from maca.errors import DomainError


class BackupError(DomainError):
    """A backup or restore could not be done; nothing was changed."""


class NotABackup(BackupError):
    """The file is not a backup maca can restore into this database."""


class TargetHasData(BackupError):
    """The database to restore into already holds data, and `force` was not given."""


class ToolFailed(BackupError):
    """pg_dump or pg_restore ended in failure."""
