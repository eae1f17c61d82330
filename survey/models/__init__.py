"""The domain model, one module per domain. Importing this package registers every table."""

from .assessment import Assessment, AssessmentRating, Evidence
from .calibration import Calibration, ExposureControl, ItemParameter
from .campaign import Campaign, Invitation, campaign_organisations
from .jobs import Delivery, MailSend, SchedulerRun
from .org import Organisation, Person, Unit
from .questionnaire import (
    Competence,
    Course,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ReferenceDocument,
    RequiredLevel,
    RoleProfile,
    course_competences,
)
from .response import Answer, Attempt, AttemptResult, Release, ReleaseAtom
from .user import AuditEntry, User, user_organisations

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentRating",
    "Attempt",
    "AttemptResult",
    "AuditEntry",
    "Calibration",
    "Campaign",
    "Competence",
    "Course",
    "Delivery",
    "Evidence",
    "ExposureControl",
    "Invitation",
    "Item",
    "ItemParameter",
    "MailSend",
    "Organisation",
    "Person",
    "Questionnaire",
    "QuestionnaireVersion",
    "ReferenceDocument",
    "Release",
    "ReleaseAtom",
    "RequiredLevel",
    "RoleProfile",
    "SchedulerRun",
    "Unit",
    "User",
    "campaign_organisations",
    "course_competences",
    "user_organisations",
]
