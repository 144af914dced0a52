"""The three things every staff page does, written once.

- :func:`gate`: sign in first, then a check of the person (a role, or a selector such as
  ``can_handle_privacy``); anyone else gets 403 with a sentence saying who the page is for.
- :func:`get_for_user_or_404`: the record through the app's scoped selector, or 404, so a
  person never learns that a record they may not see exists.
- :func:`post_action`: validate the form, call the service, and either say what happened and
  redirect (POST/redirect/GET) or show the same page again, status 400, with what was typed and
  the reason (the title's "Error: " comes from ``{% error_prefix %}`` in base.html, which sees
  the failed form or the ``error``).

Usage::

    complaints_staff = gate(selectors.can_use_complaints_area,
                            "Only the people who handle complaints can see this page.")

    @require_POST
    @complaints_staff
    def close(request, pk):
        c = get_for_user_or_404(selectors.complaint_get_for_user, request.user, pk,
                                "No complaint you can see has this number.")
        return post_action(request, form=CloseForm(request.POST, prefix="close"),
                           run=lambda d: services.complaint_close(...),
                           success="Complaint closed.", redirect_to=c.get_staff_url(),
                           rerender=lambda **forms: render(...))
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .roles import Role, has_role
from .workflow import DomainError


def gate(check: Callable[[Any], bool], message: str) -> Callable:
    """A view decorator: anonymous people go to sign in; people ``check`` refuses get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        wrapped.hubops_gate = message  # type: ignore[attr-defined]
        return wrapped

    return decorator


def role_required(*roles: Role, message: str = "") -> Callable:
    """:func:`gate` for holders of any of ``roles`` (superusers hold every role)."""
    names = " or ".join(str(role.label) for role in roles)
    return gate(
        lambda user: has_role(user, *roles),
        message or f"This page is for the {names}.",
    )


def get_for_user_or_404(
    selector: Callable[..., Any], user: Any, pk: Any, message: str = "Not found."
) -> Any:
    """``selector(user, pk)``, or 404 when it returns ``None`` (not there or not theirs)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(message) from None
    found = selector(user, key)
    if found is None:
        raise Http404(message)
    return found


def post_action(
    request: HttpRequest,
    *,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
    rerender: Callable[..., HttpResponse],
    form_key: str = "form",
) -> HttpResponse:
    """Validate ``form``; on success call ``run(cleaned_data)``, flash ``success`` and redirect;
    otherwise ``rerender(**{form_key: form, "error": reason})`` with status 400, so what was
    typed stays in the form. A :class:`DomainError` from the service is shown as it is."""
    if form is not None and not form.is_valid():
        response = rerender(**{form_key: form, "error": ""})
        response.status_code = 400
        return response
    data = form.cleaned_data if form is not None else {}
    try:
        result = run(data)
    except DomainError as error:
        messages.error(request, str(error))
        response = rerender(**{form_key: form, "error": str(error)})
        response.status_code = 400
        return response
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
