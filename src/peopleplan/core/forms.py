from django import forms

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file (UTF-8 or Windows) or an Excel XLSX file, up to 50 MB.",
        error_messages={
            "required": "Select a CSV or XLSX file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 50 MB")
        return upload
