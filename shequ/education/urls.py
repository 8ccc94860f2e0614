from django.urls import path

from shequ.education.views import checkin, desk, learning, portal, school, teach

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
    # learning organisations, funds per resident, QR sign-in, teaching resources
    path("learning/", learning.register, name="learning"),
    path("learning/new/", learning.candidate_create, name="learning_create"),
    path("learning/<int:pk>/", learning.candidate_detail, name="learning_org"),
    path("learning/<int:pk>/evaluate/", learning.evaluate, name="learning_evaluate"),
    path("learning/files/<int:pk>/", learning.evidence, name="learning_evidence"),
    path("funds/", learning.funds_page, name="funds"),
    path("sessions/<int:pk>/qr/", checkin.session_qr, name="session_qr"),
    path("checkin/<str:token>/", checkin.check_in, name="checkin"),
    path("<int:pk>/resources/", checkin.resource_add, name="resource_add"),
    path("resources/<int:pk>/", checkin.resource, name="resource"),
    path("resources/<int:pk>/delete/", checkin.resource_delete, name="resource_delete"),
]
