from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yufang.enterprises.models import Enterprise, EnterpriseSize
from yufang.enterprises.selectors import enterprise_resolve, enterprises_to_pick
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import bounded_int, bounded_year

# More insured people than any enterprise has; the column is a 64-bit integer.
MAX_HEADCOUNT = 10**9


class EnterpriseForm(forms.Form):
    """The fields of `enterprise_clean`, as codes; the service does the real validation."""

    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    credit_code_exception = forms.CharField(
        label=_("Reason for accepting a failing credit code"),
        max_length=300,
        required=False,
        help_text=_(
            "Only if the code is real but fails the check character (some early codes do)."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    county = forms.ChoiceField(label=_("County"))
    township = forms.ChoiceField(label=_("Township"), required=False)
    grid = forms.ChoiceField(label=_("Grid"), required=False)
    industry = forms.CharField(label=_("Industry code (GB/T 4754-2017)"), max_length=5)
    size = forms.ChoiceField(label=_("Size"), choices=EnterpriseSize.choices)
    risk_class_override = forms.ChoiceField(
        label=_("Risk class override"),
        required=False,
        choices=[("", _("from the industry"))] + [(str(i), str(i)) for i in range(1, 9)],
    )
    risk_class_override_reason = forms.CharField(
        label=_("Reason for the override"), max_length=300, required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    headcount_year = forms.IntegerField(label=_("Headcount year"), required=False)
    insured_headcount = forms.IntegerField(
        label=_("Insured headcount"), required=False, min_value=0
    )

    def __init__(
        self,
        *args: Any,
        counties: list[tuple[str, str]],
        townships: list[tuple[str, str]],
        grids: list[tuple[str, str]],
        writable: frozenset[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user's role may change (`enterprise_fields_writable`); the service
        # refuses the rest by name whatever is posted.
        for name in list(self.fields):
            if name not in writable:
                del self.fields[name]
        for name, choices in (("county", counties), ("township", townships), ("grid", grids)):
            if name in self.fields:
                cast(forms.ChoiceField, self.fields[name]).choices = [("", "—"), *choices]
        for each in self.fields.values():
            css = "form-select" if isinstance(each.widget, forms.Select) else "form-control"
            each.widget.attrs.setdefault("class", css)

    @staticmethod
    def initial_from(enterprise: Enterprise) -> dict[str, Any]:
        return {
            "credit_code": enterprise.credit_code,
            "credit_code_exception": enterprise.credit_code_exception,
            "name": enterprise.name,
            "address": enterprise.address,
            "contact_person": enterprise.contact_person,
            "contact_phone": enterprise.contact_phone,
            "county": enterprise.county.code,
            "township": enterprise.township.code if enterprise.township else "",
            "grid": enterprise.grid.code if enterprise.grid else "",
            "industry": enterprise.industry.code,
            "size": enterprise.size,
            "risk_class_override": str(enterprise.risk_class)
            if enterprise.risk_class_is_override
            else "",
            "risk_class_override_reason": enterprise.risk_class_override_reason,
            "latitude": enterprise.latitude,
            "longitude": enterprise.longitude,
        }


def _is_typed(value: str) -> bool:
    """Whether a value sent as an enterprise's id is text typed for it instead (a credit
    code has 18 characters, digits only for some; an id is a shorter number)."""
    return bool(value) and (not value.isdigit() or len(value) == 18)


class EnterprisePicker(forms.Widget):
    """A search box for an enterprise: typing asks the scoped search (`enterprises:pick`,
    HTMX) for names with their credit codes, and choosing one puts its id in the hidden
    input named after the field. Without scripts the box is a plain input: its text (a credit
    code or a name fragment) is posted as `<name>_search` and resolved on the server."""

    template_name = "enterprises/widgets/picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.queryset: QuerySet[Enterprise] = Enterprise.objects.none()
        # Set by the field when a typed text matched several: offered as choices.
        self.candidates: list[Enterprise] = []

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (
            str(data.get(name) or "").strip(),
            str(data.get(f"{name}_search") or "").strip(),
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_search" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        pk, text = value if isinstance(value, tuple) else (value, "")
        if isinstance(pk, Enterprise):
            pk = pk.pk
        if _is_typed(str(pk or "")):
            pk, text = "", text or str(pk)
        chosen = None
        if pk and str(pk).isdigit():
            chosen = self.queryset.filter(pk=pk).first()
        widget = context["widget"]
        widget.update(
            search_name=f"{name}_search",
            chosen=chosen,
            text=chosen.name if chosen is not None and not text else text,
            candidates=self.candidates,
            search_url=reverse("enterprises:pick"),
            results_id=f"{widget['attrs'].get('id') or name}-results",
        )
        return context


class EnterpriseChoiceField(forms.Field):
    """An enterprise the user may choose (`enterprises_to_pick`), by id or as typed: an
    exact credit code, or a name or code fragment only one enterprise matches."""

    widget = EnterprisePicker
    default_error_messages = {"required": _("Choose an enterprise.")}

    def __init__(self, *, queryset: QuerySet[Enterprise], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Enterprise"))
        super().__init__(**kwargs)
        self.queryset = queryset
        cast(EnterprisePicker, self.widget).queryset = queryset

    def to_python(self, value: Any) -> Enterprise | None:
        if isinstance(value, Enterprise):
            return value
        pk, text = value if isinstance(value, tuple) else (str(value or ""), "")
        if _is_typed(pk):
            # A credit code (or a name) sent where the id goes, as older clients post it.
            pk, text = "", text or pk
        if pk:
            chosen = self.queryset.filter(pk=pk).first() if pk.isdigit() else None
            if chosen is None:
                raise forms.ValidationError(
                    _("This enterprise is not one you may choose. Search again."),
                    code="invalid_choice",
                )
            return chosen
        if not text:
            return None
        found, candidates = enterprise_resolve(self.queryset, text)
        if found is not None:
            return found
        if candidates:
            cast(EnterprisePicker, self.widget).candidates = candidates
            raise forms.ValidationError(
                _("Several enterprises match “%(text)s”: choose one below."),
                code="ambiguous",
                params={"text": text},
            )
        raise forms.ValidationError(
            _("No enterprise you may choose matches “%(text)s”."),
            code="not_found",
            params={"text": text},
        )


class EnterprisePickForm(forms.Form):
    """The enterprise field alone, for pages that take the rest of their input by hand."""

    enterprise = EnterpriseChoiceField(queryset=Enterprise.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(EnterpriseChoiceField, self.fields["enterprise"])
        field.queryset = enterprises_to_pick(user)
        cast(EnterprisePicker, field.widget).queryset = field.queryset

    def enterprise_or_error(self) -> Enterprise:
        """The chosen enterprise, or an `InvalidInput` naming the field."""
        if not self.is_valid():
            raise InvalidInput(" ".join(str(e) for e in self.errors["enterprise"]), "enterprise")
        return cast(Enterprise, self.cleaned_data["enterprise"])


@dataclass(frozen=True)
class HeadcountInput:
    year: int
    insured_headcount: int
    hours_worked: Decimal | None


def headcount_input(data: Any) -> tuple[HeadcountInput | None, dict[str, str]]:
    """A year's insured headcount and hours as a headcount form posts them, held to what the
    columns take: the one parser for the enterprise page's and the injuries page's forms."""
    from django.utils.translation import gettext as gettext_now

    year, count, hours = (
        str(data.get(k, "")).strip() for k in ("year", "insured_headcount", "hours_worked")
    )
    errors: dict[str, str] = {}
    year_value = bounded_year(year)
    count_value = bounded_int(count, low=0, high=MAX_HEADCOUNT)
    if year_value is None:
        errors["year"] = gettext_now("Not a valid year: %(value)s") % {"value": year[:20]}
    if count_value is None:
        errors["insured_headcount"] = gettext_now("The insured headcount must be a whole number.")
    hours_value: Decimal | None = None
    if hours:
        try:
            hours_value = Decimal(hours)
        except InvalidOperation:
            hours_value = None
        # The column holds 14 digits with one decimal place.
        if hours_value is None or not hours_value.is_finite() or not 0 <= hours_value < 10**13:
            errors["hours_worked"] = gettext_now("Not a number: %(value)s") % {"value": hours[:20]}
        else:
            hours_value = hours_value.quantize(Decimal("0.1"))
    if errors or year_value is None or count_value is None:
        return None, errors
    return HeadcountInput(year_value, count_value, hours_value), {}
