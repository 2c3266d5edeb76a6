"""maca: multi-agency case audits for safeguarding children partnerships."""
