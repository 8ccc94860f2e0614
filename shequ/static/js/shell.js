/* The page shell: the phone menu button opens and closes the navigation (a real button: Enter and Space work). */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".navbutton");
  var nav = document.querySelector(".sidenav");
  if (!button || !nav) return;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
