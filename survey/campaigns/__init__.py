"""Campaign administration shared by the command line and the admin pages.

Pure-ish domain operations: reading and validating staff lists, importing them as people and
invitations, a campaign's life (draft → open → closed → archived), issuing invitation links,
exporting them and sending them by e-mail. Operations change the session but never commit: the
caller (a view or a command) commits once, so a refused operation leaves nothing half-saved.
Problems are kept as codes with parameters and translated only where they are shown
(``problems.describe``), so the pages speak the user's language and the command line English.
"""
