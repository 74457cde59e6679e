from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yufang.enterprises.forms import EnterpriseChoiceField, EnterprisePicker
from yufang.enterprises.models import Enterprise
from yufang.injuries.models import AccidentCategory, BodyPart, CaseKind


class CaseForm(forms.Form):
    """Renders the case fields; the checks live in `services.case_clean`."""

    case_number = forms.CharField(label=_("case number"), max_length=40)
    enterprise = EnterpriseChoiceField(
        queryset=Enterprise.objects.none(),
        label=_("enterprise"),
        help_text=_("The enterprise the injured person works for: part of its name or its code."),
    )
    person_name = forms.CharField(label=_("injured person"), max_length=60)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        help_text=_("Stored encrypted and shown masked. Leave empty to keep the stored number."),
    )
    accident_date = forms.DateField(
        label=_("accident date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recognition_date = forms.DateField(
        label=_("recognition date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=pgettext_lazy("injury case", "kind"), choices=CaseKind.choices)
    occupational_disease = forms.CharField(
        label=_("occupational disease"), max_length=100, required=False
    )
    is_death = forms.BooleanField(label=_("death"), required=False)
    disability_grade = forms.TypedChoiceField(
        label=_("disability grade"),
        choices=[("", "—")] + [(str(g), str(g)) for g in range(1, 11)],
        required=False,
    )
    lost_workdays = forms.IntegerField(
        label=_("lost workdays"), min_value=0, max_value=2**31 - 1, required=False
    )
    accident_category = forms.ChoiceField(
        label=_("accident category"), choices=AccidentCategory.choices
    )
    body_part = forms.ChoiceField(label=_("body part"), choices=BodyPart.choices)
    payout = forms.DecimalField(
        label=_("fund payout"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            from yufang.enterprises.selectors import enterprises_to_pick

            picker = cast(EnterpriseChoiceField, self.fields["enterprise"])
            picker.queryset = enterprises_to_pick(user)
            cast(EnterprisePicker, picker.widget).queryset = picker.queryset
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
