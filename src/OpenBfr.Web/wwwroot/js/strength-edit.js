// The strength correction form: only the measurement fields of the chosen exercise's kind show
// (load, hop distance, hop time; none for a check-in). The others are disabled too, so a value
// left in a hidden field is not posted; the server refuses a field of another kind, naming it.
(function () {
  const form = document.getElementById('strength-edit-form');
  const select = form && form.querySelector('select[name="Form.Exercise"]');
  if (!select) return;
  const show = () => {
    const measure = select.selectedOptions[0] ? select.selectedOptions[0].dataset.measure : '';
    form.querySelectorAll('fieldset.measure').forEach(f => {
      const on = f.dataset.measures.split(' ').includes(measure);
      f.hidden = !on;
      f.disabled = !on;
    });
  };
  select.addEventListener('change', show);
  show();
})();
