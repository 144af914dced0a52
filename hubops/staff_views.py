"""The staff area's front page: each person's own home (what is due for them, their areas'
counts and the pages they can open) and the staff search. Both are composed from what the apps
register in ``hubops.ports``."""

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from . import ports, selectors, services
from .forms import GovDateField
from .models import AcademicYear, CalendarPeriod, PeriodKind
from .roles import Role
from .staff import post_action, role_required


@staff_member_required
def dashboard(request):
    today = timezone.localdate()
    return render(
        request,
        "hubops/staff_dashboard.html",
        {**selectors.staff_home(request.user, today), "today": today, "page_title": "Your work"},
    )


@staff_member_required
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    hits = ports.search(request.user, query) if query else []
    return render(
        request,
        "hubops/staff_search.html",
        {
            "query": query,
            "hits": hits,
            "too_short": bool(query) and len(query) < 2,
            "page_title": f"Search: {query}" if query else "Search",
        },
    )


# -- term dates: the school calendar every deadline is counted on ----------------------------

calendar_staff = role_required(
    Role.HUB_STAFF, Role.MHL, message="Only hub staff and the Maths Hub Lead can change term dates."
)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=PeriodKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of dates these are"},
    )
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text='For example "Autumn term" or "INSET day".',
        error_messages={"required": "Enter a name"},
    )
    starts_on = GovDateField(label="First day", help_text="For example, 3 9 2026.")
    ends_on = GovDateField(
        label="Last day", help_text="For an INSET day, the same as the first day."
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day must be on or after the first day")
        return data


def _year_or_404(pk) -> AcademicYear:
    year = AcademicYear.objects.filter(pk=pk).first()
    if year is None:
        raise Http404("No academic year has that number.")
    return year


@calendar_staff
def calendar_years(request):
    years = AcademicYear.objects.prefetch_related("periods").order_by("-starts_on")
    return render(
        request,
        "hubops/staff_calendar.html",
        {"years": years, "page_title": "Term dates"},
    )


@calendar_staff
def calendar_period(request, year_id: int, pk: int | None = None):
    year = _year_or_404(year_id)
    period = get_object_or_404(CalendarPeriod, pk=pk, academic_year=year) if pk else None
    initial = (
        {k: getattr(period, k) for k in ("kind", "name", "starts_on", "ends_on")} if period else {}
    )
    form = PeriodForm(request.POST if request.method == "POST" else None, initial=initial)
    title = f"Change {period.name}" if period else f"Add dates to {year.name}"

    def page(**extra):
        return render(
            request,
            "hubops/staff_calendar_period.html",
            {
                "year": year,
                "period": period,
                "form": form,
                "page_title": title,
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=form,
        run=lambda d: services.calendar_period_save(
            period_id=period.pk if period else None,
            academic_year_id=year.pk,
            actor=request.user,
            data=d,
        ),
        success=lambda p: f"{p.name} is saved. Deadlines are counted on the new dates.",
        redirect_to=reverse("staff_calendar"),
        rerender=page,
    )


@calendar_staff
def calendar_period_delete(request, year_id: int, pk: int):
    """Are you sure? Deadlines move when term dates do."""
    year = _year_or_404(year_id)
    period = get_object_or_404(CalendarPeriod, pk=pk, academic_year=year)

    def page(**extra):
        return render(
            request,
            "hubops/staff_calendar_delete.html",
            {
                "year": year,
                "period": period,
                "page_title": "Remove dates",
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=None,
        run=lambda d: services.calendar_period_delete(period_id=period.pk, actor=request.user),
        success=f"{period.name} is removed. Deadlines are counted without it.",
        redirect_to=reverse("staff_calendar"),
        rerender=page,
    )
