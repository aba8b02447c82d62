// Reads a chosen file into the patient text box on the screening page; the form works without it.
document.getElementById('file').addEventListener('change', function (e) {
  var f = e.target.files[0]; if (!f) return;
  f.text().then(function (t) { document.getElementById('patient').value = t; });
});
