using StageSet.Api.Scheduling;
using StageSet.Manifests.Schema;

namespace StageSet.Api.Validation;

internal sealed partial class SpecValidator
{
    private void ValidateWindows()
    {
        var windows = spec.UpdateWindows ?? [];
        for (var i = 0; i < windows.Count; i++)
        {
            Window(Spec.Child("updateWindows").Index(i), windows[i]);
        }
    }

    private void Window(string path, UpdateWindow window)
    {
        if (string.IsNullOrEmpty(window.Type))
        {
            Add(FieldError.Required(path.Child("type"), "Allow or Deny"));
        }
        else
        {
            Enum(path.Child("type"), window.Type, UpdateWindowTypes.Allow, UpdateWindowTypes.Deny);
        }

        if (!string.IsNullOrEmpty(window.TimeZone) && !TimeZones.TryFind(window.TimeZone, out _))
        {
            Add(FieldError.Invalid(path.Child("timeZone"), Q(window.TimeZone), "unknown time zone " + window.TimeZone + " (use an IANA name such as Europe/Berlin)"));
        }

        var recurring = !string.IsNullOrEmpty(window.Schedule) || window.Duration is not null;
        var absolute = window.From is not null || window.To is not null;
        if (recurring && absolute)
        {
            Add(FieldError.Invalid(path, null, "a window is either recurring (schedule and duration) or absolute (from and to), not both"));
            return;
        }

        if (!recurring && !absolute)
        {
            Add(FieldError.Required(path, "set schedule and duration for a recurring window, or from and to for an absolute one"));
            return;
        }

        if (recurring)
        {
            if (string.IsNullOrEmpty(window.Schedule))
            {
                Add(FieldError.Required(path.Child("schedule"), "a recurring window needs a schedule"));
            }
            else if (!CronSchedule.TryParse(window.Schedule, out _, out var error))
            {
                Add(FieldError.Invalid(path.Child("schedule"), Q(window.Schedule), error!));
            }

            if (window.Duration is not { } duration)
            {
                Add(FieldError.Required(path.Child("duration"), "a recurring window needs a positive duration"));
            }
            else if (!duration.IsPositive)
            {
                Add(FieldError.Invalid(path.Child("duration"), Q(duration.ToString()), "must be positive"));
            }

            return;
        }

        if (window.From is null)
        {
            Add(FieldError.Required(path.Child("from"), "an absolute window needs from and to"));
        }

        if (window.To is null)
        {
            Add(FieldError.Required(path.Child("to"), "an absolute window needs from and to"));
        }

        if (window.From is { } from && window.To is { } to && to <= from)
        {
            Add(FieldError.Invalid(path.Child("to"), Q(Rfc3339TimeConverter.Format(to)), "must be after from (" + Rfc3339TimeConverter.Format(from) + ")"));
        }
    }
}
