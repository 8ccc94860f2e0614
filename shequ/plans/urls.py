from django.urls import path

from shequ.plans.views import compliance, imports, indicators, plans, targets, tasks

app_name = "plans"
urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("new/", plans.plan_create, name="create"),
    path("<int:pk>/", plans.plan_detail, name="detail"),
    path("<int:pk>/edit/", plans.plan_edit, name="edit"),
    path("<int:pk>/status/", plans.plan_status, name="status"),
    path("<int:pk>/attach/", plans.plan_attach, name="attach"),
    path("attachments/<int:pk>/", plans.attachment_file, name="attachment"),
    path("<int:pk>/publish/", plans.plan_publish, name="publish"),
    path("<int:pk>/template-change/", plans.plan_template_change, name="template_change"),
    path("<int:plan_pk>/targets/new/", targets.target_create, name="target_create"),
    path("targets/<int:pk>/", targets.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", targets.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", targets.target_delete, name="target_delete"),
    path("targets/<int:pk>/records/", targets.target_records, name="target_records"),
    path("entries/<int:pk>/file/", targets.rate_entry_file, name="entry_file"),
    path("targets/<int:pk>/figures/<slug:side>/", indicators.target_indicator_rows, name="target_indicator_rows"),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("import/", imports.plan_import, name="import"),
    path("import/<int:pk>/", imports.plan_import_review, name="import_review"),
    path("import/<int:pk>/add/", imports.plan_import_add, name="import_add"),
    path("templates/", plans.template_list, name="templates"),
    path("templates/<int:pk>/", plans.template_detail, name="template_detail"),
    path("compliance/", compliance.org_calendar, name="calendar"),
    path("overview/", compliance.overview, name="overview"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/status/", tasks.task_status, name="task_status"),
    path("tasks/<int:pk>/evidence/", tasks.task_evidence, name="task_evidence"),
    path("reminders/", tasks.reminder_list, name="reminders"),
    path("reminders/read/", tasks.reminders_read, name="reminders_read"),
]
