from django import forms


class SwitchPartnershipForm(forms.Form):
    partnership = forms.IntegerField(min_value=1)
