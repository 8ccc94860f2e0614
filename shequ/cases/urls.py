from django.urls import path

from shequ.cases.views import detail, inbox, reports

app_name = "cases"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("new/", inbox.create, name="create"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/edit/", detail.edit, name="edit"),
    path("<int:pk>/move/<slug:action>/", detail.move, name="move"),
    path("<int:pk>/entry/", detail.entry, name="entry"),
    path("<int:pk>/reply/", detail.reply, name="reply"),
    path("<int:pk>/board/", detail.board, name="board"),
    path("<int:pk>/board/public/", detail.board_public, name="board_public"),
    path("files/<int:pk>/", detail.attachment, name="file"),
    path("dashboard/", reports.dashboard, name="dashboard"),
    path("screening/", reports.screening, name="screening"),
    path("ledgers/", reports.ledger_index, name="ledgers"),
    path("limits/", reports.limits, name="limits"),
    path("limits/<int:pk>/clear/", reports.limit_clear, name="limit_clear"),
]
