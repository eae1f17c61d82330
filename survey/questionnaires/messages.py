"""The validator's messages as codes with parameters, rendered in the reader's language.

A :class:`Message` is a code from :data:`MESSAGES` with its parameters. The command line prints
it in English (the msgid); a page renders it in the current locale through gettext. File names,
ids, field paths and values from the file are parameters and are shown as they are.

A parameter may itself be a message (``key %(problem)s``). A message taken from a library
(PyYAML, pydantic) keeps the library's English words in ``text`` for English readers; other
readers get the code's general sentence, so that no page shows English in Kazakh or Russian.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from .. import problems

if TYPE_CHECKING:
    from .problems import Problem

MESSAGES = {
    # Reading a file.
    "not_utf8": _l("is not UTF-8 text"),
    "unreadable": _l("cannot be read: %(reason)s"),
    "yaml_invalid": _l("not valid YAML: %(reason)s"),
    "yaml_invalid_at": _l("not valid YAML: line %(line)s, column %(column)s: %(reason)s"),
    "yaml_syntax": _l("the text does not follow the YAML syntax here"),
    "yaml_duplicate_key": _l('duplicate key "%(key)s"'),
    "yaml_mapping_values": _l("mapping values are not allowed in this context"),
    "yaml_bad_character": _l("found character that cannot start any token"),
    "not_a_mapping": _l("must be a YAML mapping"),
    "file_missing": _l("the file is missing"),
    "unknown_file": _l("unknown file; the files of questionnaires/ are %(files)s"),
    "not_a_questionnaire": _l(
        "this is not a questionnaire: a survey has “kind: survey”, a test “kind: test” "
        "(see questionnaires/README.md)"
    ),
    "other_definition_file": _l(
        "this is the content of %(file)s, not a questionnaire: it is loaded with the other "
        "files of questionnaires/ on the command line (flask questionnaires load)"
    ),
    # Values, as pydantic finds them.
    "missing": _l("required field is missing"),
    "extra_forbidden": _l("unknown field; see questionnaires/README.md for the format"),
    "must_be_text": _l("must be text"),
    "must_be_whole_number": _l("must be a whole number"),
    "must_be_number": _l("must be a number"),
    "must_be_true_or_false": _l("must be true or false"),
    "must_be_list": _l("must be a list"),
    "must_be_mapping": _l("must be a mapping"),
    "key_problem": _l("key %(problem)s"),
    "id_pattern": _l(
        "must be lower-case ASCII letters, digits, _ or -, starting with a letter, not %(value)s"
    ),
    "option_id_pattern": _l("must be a single lower-case letter, not %(value)s"),
    "source_pattern": _l('must be "test" or "scale:" followed by a scale id, not %(value)s'),
    "pattern": _l("must match %(pattern)s, not %(value)s"),
    "one_of": _l("must be one of %(expected)s, not %(value)s"),
    "alternatives": _l("%(first)s or %(last)s"),
    "too_short": _l("needs at least %(count)s entries"),
    "too_long": _l("may have at most %(count)s entries"),
    "greater_than": _l("must be greater than %(limit)s"),
    "at_least": _l("must be at least %(limit)s"),
    "at_most": _l("must be at most %(limit)s"),
    "less_than": _l("must be less than %(limit)s"),
    "invalid_value": _l("the value is not valid here; see questionnaires/README.md for the format"),
    "reverse_on_test_item": _l("reverse keying is only for Likert survey items, not test items"),
    "level_outside": _l("level %(level)s is outside 1–5"),
    # Texts in three languages.
    "text_not_mapping": _l("must be a mapping of kk, ru and en texts"),
    "unknown_language": _l("unknown language %(languages)s; the languages are kk, ru, en"),
    "missing_language": _l("missing language %(languages)s"),
    "missing_languages": _l("missing languages %(languages)s"),
    "text_not_text": _l("the %(lang)s text must be text"),
    "empty_text": _l("empty text in %(lang)s"),
    "same_as_english": _l("the %(lang)s text is identical to the en text; translate it"),
    "mixed_letters": _l('the %(lang)s text mixes Latin and Cyrillic letters in "%(word)s"'),
    "no_kazakh_letters": _l(
        "the kk text has none of the Kazakh letters ә ғ қ ң ө ұ ү һ і; is it Russian?"
    ),
    "not_one_line": _l("the %(lang)s text must be one line"),
    # Rules within a file.
    "duplicate_id": _l('duplicate id "%(id)s" (used %(count)s times)'),
    "weights_sum": _l("the weights sum to %(total)s; they must sum to 1"),
    "response_values": _l("the values must be 1, 2, 3, 4, 5 in this order, not %(values)s"),
    "unknown_scale": _l('unknown scale "%(scale)s"; the scales are %(scales)s'),
    "scale_too_small": _l("the scale has %(count)s items; it needs at least %(minimum)s"),
    "scale_not_reversed": _l("the scale has no reverse-keyed item; it needs at least one"),
    "duplicate_option": _l('duplicate option id "%(option)s"'),
    "true_false_options": _l("a true_false item has no options"),
    "true_false_key": _l("a true_false item's key must be true or false"),
    "option_count": _l("a %(type)s item needs %(low)s to %(high)s options; it has %(count)s"),
    "single_key": _l("a single item's key must be one option id"),
    "multiple_key": _l("a multiple item's key must be a list of option ids"),
    "key_empty": _l("the key lists no option; list the right ones"),
    "key_twice": _l('option "%(option)s" is listed twice'),
    "key_all": _l("the key lists every option; leave at least one wrong option"),
    "key_unknown_option": _l('option "%(option)s" is not one of the item\'s options'),
    "unknown_item": _l('unknown item "%(item)s"'),
    "item_twice": _l('item "%(item)s" is listed twice'),
    "competence_twice": _l('competence "%(competence)s" is listed twice'),
    "course_levels": _l("level_to (%(level_to)s) must be above level_from (%(level_from)s)"),
    "levels_order": _l("the levels must be 1 to 5 in order, not %(levels)s"),
    "levels_none": _l("the levels must be 1 to 5 in order, not none"),
    "first_min_score": _l("the first level must start at min_score 1.0"),
    "cut_scores_order": _l("the cut scores must increase from level to level"),
    "min_score_order": _l("min_score must increase from level to level"),
    "unknown_dimension_of": _l(
        'unknown dimension "%(dimension)s"; the dimensions are %(dimensions)s'
    ),
    "dimension_missing": _l('dimension "%(dimension)s" is missing'),
    "source_repeated": _l('source "%(source)s" is used %(count)s times'),
    "unknown_dimension": _l('unknown dimension "%(dimension)s"'),
    "dimension_texts_missing": _l('"%(dimension)s" is missing'),
    "level_texts_missing": _l("no text for level %(levels)s"),
    # The expert checklists and their criterion weights.
    "variant_never_used": _l(
        "no body ever gets this variant: an earlier one or the conditions always win"
    ),
    # i18n: %(context)s lists attribute values as they are in the file, e.g.
    # "governance_level regional"
    "criterion_not_applicable": _l(
        'criterion "%(criterion)s" does not apply to bodies with %(context)s; '
        "weigh it only where it applies"
    ),
    # References between files.
    "unknown_competence": _l('unknown competence "%(competence)s"; see %(file)s'),
    "required_level_missing": _l('no required level for competence "%(competence)s"'),
    "unknown_survey_scale": _l('unknown scale "%(scale)s"; the scales of %(file)s are %(scales)s'),
    "competence_not_loaded": _l(
        'unknown competence "%(competence)s"; load competences.yaml first'
    ),
}

# The entry a problem is about, named by its kind (as in Problem.kind) and id.
KINDS = {
    "item": _l("item %(id)s"),
    "scale": _l("scale %(id)s"),
    "competence": _l("competence %(id)s"),
    "profile": _l("profile %(id)s"),
    "course": _l("course %(id)s"),
    "level": _l("level %(id)s"),
    "dimension": _l("dimension %(id)s"),
    "sub-score": _l("sub-score %(id)s"),
    "criterion": _l("criterion %(id)s"),
    "response option": _l("response option %(id)s"),
}
FIELD = _l("field %(field)s")


@dataclass(frozen=True)
class Message(problems.Message):
    """One reason, as a code of :data:`MESSAGES` with its parameters (see
    :class:`survey.problems.Message`)."""

    catalogue = MESSAGES


def describe(problem: Problem) -> str:
    """A whole problem in the current locale: ``file: entry: field: reason``."""
    parts = [problem.file]
    if problem.kind is not None:
        kind = KINDS.get(problem.kind)
        parts.append(str(kind) % {"id": problem.id} if kind else f"{problem.kind} {problem.id}")
    if problem.field is not None:
        parts.append(str(FIELD) % {"field": problem.field})
    parts.append(problems.render_all(problem.reasons) if problem.reasons else problem.message)
    return ": ".join(parts)

