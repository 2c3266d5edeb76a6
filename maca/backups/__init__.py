"""The database as operators handle it: `maca backup` and `maca restore` (docs/deployment.md,
"Backups"), and the application's role, `maca grant-app-role` ("Database roles")."""
