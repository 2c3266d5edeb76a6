"""Backups: `maca backup` and `maca restore` (docs/deployment.md, "Backups")."""
