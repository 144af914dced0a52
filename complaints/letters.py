"""Letter templates: staff-editable Django templates rendered in a sandbox.

The sandbox is a separate template engine with no loaders (so ``{% include %}`` and
``{% extends %}`` find nothing), no ``{% load %}`` libraries, and an allow-list of tags checked
before rendering. The context holds plain strings and dates only, never model instances, so a
placeholder cannot reach a model's methods or the database. Output is plain text; the PDF and
email templates escape it.
"""

from __future__ import annotations

from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType

ALLOWED_TAGS = frozenset(
    {
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "empty",
        "endfor",
        "with",
        "endwith",
        "comment",
        "endcomment",
        "firstof",
        "now",
        "spaceless",
        "endspaceless",
    }
)

PLACEHOLDERS = {
    "reference": "The complaint's reference, e.g. CMP-ABCD2345",
    "complainant_name": "The complainant's name",
    "received_on": "The date the complaint was received",
    "ack_due_on": "When the acknowledgement was due",
    "response_due_on": "When the response is due (the new date after a holding letter)",
    "new_response_date": "The new response date given in a holding letter",
    "reason": "The reason given in a holding letter",
    "outcome": "The decision: Upheld, Partly upheld, Not upheld",
    "summary": "The findings and reasons written by the handler or the panel",
    "appeal_window_ends_on": "The last day to ask for an appeal",
    "appeal_due_on": "When the appeal panel must respond",
    "signatory": "Who signs: the handler's title",
    "hub_name": "The hub's name",
    "hub_email": "The hub's email address",
    "today": "Today's date",
}

_ENGINE = Engine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    autoescape=False,
    string_if_invalid="",
)


class LetterTemplateError(ValueError):
    """A letter template staff wrote cannot be rendered; the message says where."""


def validate(body: str) -> None:
    """Raise :class:`LetterTemplateError` (with a message for staff) unless ``body`` is a template
    the sandbox will render."""
    for token in Lexer(body).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name not in ALLOWED_TAGS:
                raise LetterTemplateError(
                    f"The tag {{% {name} %}} is not allowed in a letter. Use placeholders such as "
                    "{{ reference }} and simple {% if %} or {% for %} tags."
                )
        if token.token_type == TokenType.VAR:
            root = token.contents.split("|")[0].strip().split(".")[0]
            if root.startswith("_"):
                raise LetterTemplateError("Placeholders cannot start with an underscore.")
    try:
        _ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise LetterTemplateError(f"The letter has a template error: {error}") from None


def render(body: str, context: dict[str, Any]) -> str:
    validate(body)
    plain = {k: v for k, v in context.items() if isinstance(v, str | int | float | bool)}
    return _ENGINE.from_string(body).render(Context(plain, autoescape=False)).strip()


DEFAULTS: dict[str, tuple[str, str]] = {
    "acknowledgement": (
        "Your complaint {{ reference }}: acknowledgement",
        "Dear {{ complainant_name }},\n\n"
        "Thank you for your complaint, which we received on {{ received_on }}. Your reference "
        "is {{ reference }}.\n\n"
        "{{ signatory }} will look into it and send you a written response by "
        "{{ response_due_on }}. If we cannot respond by then, we will write to you before that "
        "date to explain why and to give you a new date.\n\n"
        "Yours sincerely,\n\n{{ signatory }}\n{{ hub_name }}",
    ),
    "holding": (
        "Your complaint {{ reference }}: our response will take longer",
        "Dear {{ complainant_name }},\n\n"
        "We told you we would respond to your complaint {{ reference }} by "
        "{{ response_due_on }}. We are sorry that we cannot do so.\n\n"
        "The reason is: {{ reason }}\n\n"
        "We will send you our response by {{ new_response_date }}.\n\n"
        "Yours sincerely,\n\n{{ signatory }}\n{{ hub_name }}",
    ),
    "stage2_outcome": (
        "Your complaint {{ reference }}: our response",
        "Dear {{ complainant_name }},\n\n"
        "We have investigated your complaint {{ reference }}, received on {{ received_on }}.\n\n"
        "Our decision: {{ outcome }}.\n\n{{ summary }}\n\n"
        "If you are not satisfied with this response, you can appeal to the Lead School, which "
        "will ask a group of its senior leaders who have not been involved to look at your "
        "complaint again. Ask for an appeal using your private link, or write to us, by "
        "{{ appeal_window_ends_on }}.\n\n"
        "Yours sincerely,\n\n{{ signatory }}\n{{ hub_name }}",
    ),
    "appeal_outcome": (
        "Your appeal {{ reference }}: the panel's decision",
        "Dear {{ complainant_name }},\n\n"
        "A panel of the Lead School's senior leaders, none of whom was involved in your "
        "complaint before, has considered your appeal about complaint {{ reference }}.\n\n"
        "The panel's decision: {{ outcome }}.\n\n{{ summary }}\n\n"
        "This decision is final: it ends the hub's complaints procedure.\n\n"
        "Yours sincerely,\n\nThe appeal panel\n{{ hub_name }}",
    ),
}
