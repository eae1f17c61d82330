"""The domain model, one module per domain. Importing this package registers every table."""

from .calibration import Calibration, ItemParameter
from .campaign import Campaign, Invitation, campaign_organisations
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
from .response import Answer, Attempt, AttemptResult
from .user import AuditEntry, ExpertAssessment, User, user_organisations

__all__ = [
    "Answer",
    "Attempt",
    "AttemptResult",
    "AuditEntry",
    "Calibration",
    "Campaign",
    "Competence",
    "Course",
    "ExpertAssessment",
    "Invitation",
    "Item",
    "ItemParameter",
    "Organisation",
    "Person",
    "Questionnaire",
    "QuestionnaireVersion",
    "ReferenceDocument",
    "RequiredLevel",
    "RoleProfile",
    "Unit",
    "User",
    "campaign_organisations",
    "course_competences",
    "user_organisations",
]
