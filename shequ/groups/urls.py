from django.urls import path

from shequ.groups.views import groups, meetings

app_name = "groups"
urlpatterns = [
    path("", groups.group_list, name="list"),
    path("new/", groups.group_create, name="create"),
    path("<int:pk>/", groups.group_detail, name="detail"),
    path("<int:pk>/edit/", groups.group_edit, name="edit"),
    path("<int:pk>/terms/new/", groups.term_create, name="term_create"),
    path("<int:pk>/members/new/", groups.member_add, name="member_add"),
    path("members/<int:pk>/leave/", groups.member_leave, name="member_leave"),
    path("<int:pk>/meetings/", meetings.meeting_list, name="meetings"),
    path("<int:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/", meetings.org_meetings, name="org_meetings"),
    path("meetings/new/", meetings.org_meeting_create, name="org_meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/sign-in/", meetings.meeting_signin, name="meeting_signin"),
    path("meetings/<int:pk>/resolutions/", meetings.resolution_add, name="resolution_add"),
    path("resolutions/<int:pk>/task/", meetings.resolution_task, name="resolution_task"),
]
