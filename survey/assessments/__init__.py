"""Expert assessments of the three expert dimensions: opening one for a body and a period
(:mod:`.drafts`), rating criteria with notes and evidence, submitting, the second person's
review and the lock (:mod:`.review`), and what a body is rated on (:mod:`.checklist`). Who may
do what is decided in :mod:`survey.access`. Every change is in the audit log; the view
commits."""
