from django.urls import path, register_converter

from shequ.ledgers import views


class FormatConverter:
    regex = "xlsx|docx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "ledger_format")

app_name = "ledgers"
urlpatterns = [
    path("<slug:code>/<int:org>/<int:year>.<ledger_format:fmt>", views.export, name="export"),
    path("<slug:code>/<int:org>.<ledger_format:fmt>", views.export, name="export_undated"),
]
