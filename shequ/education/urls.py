from django.urls import path

from shequ.education.views import desk, portal, teach

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
]
