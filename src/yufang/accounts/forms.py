from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yufang.accounts.models import Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username or mobile phone"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or username"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("all roles")), *Role.choices]
    )
