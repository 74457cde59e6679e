from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yufang.enterprises.models import Enterprise, EnterpriseSize


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
