from django.urls import path

from shequ.education.views import desk, portal, school, teach

app_name = "education"
urlpatterns = [
    path("", desk.course_list, name="list"),
    path("new/", desk.course_create, name="create"),
    path("<int:pk>/", desk.course_detail, name="course"),
    path("<int:pk>/enrol/", desk.course_enrol, name="enrol"),
    path("enrolments/<int:pk>/withdraw/", desk.enrolment_withdraw, name="withdraw"),
    path("sessions/<int:pk>/", desk.session_attendance, name="session"),
    path("lecturers/", desk.lecturer_list, name="lecturers"),
    path("lecturers/new/", desk.lecturer_create, name="lecturer_create"),
    path("teach/", teach.teach, name="teach"),
    path("open/", portal.open_courses, name="open"),
    path("open/<int:pk>/enrol/", portal.open_enrol, name="open_enrol"),
    path("school/", school.school_home, name="school_home"),
    path("school/<int:pk>/", school.school_page, name="school"),
    path("school/<int:pk>/own/", school.calendar_own, name="calendar_own"),
    path("school/<int:pk>/periods/new/", school.period_create, name="period_create"),
    path("school/periods/<int:pk>/", school.period_edit, name="period_edit"),
    path("school/periods/<int:pk>/delete/", school.period_delete, name="period_delete"),
    path("school/drills/<int:pk>/hazard/", school.drill_hazard, name="drill_hazard"),
]
