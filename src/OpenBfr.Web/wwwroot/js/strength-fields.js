// Strength forms (the athlete page's new test, the correction page): only the result fields of the
// chosen exercise's kind show (load, hop distance, hop time; none for a check-in). The others are
// disabled too, so a value left in a hidden field is not posted; the server refuses a field of
// another kind, naming it. Groups: _StrengthResultFields.cshtml; kinds: _StrengthExerciseSelect.cshtml.
(function () {
  document.querySelectorAll('select[data-switches-measures]').forEach(select => {
    const form = select.form;
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
  });
})();
