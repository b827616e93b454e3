using System.Globalization;

namespace MqttRules.Scheduling;

/// <summary>
/// A standard 5-field cron expression (minute hour day-of-month month day-of-week) with Vixie cron /
/// cronie's grammar and matching rules: lists, ranges, steps, month and weekday names, 0 or 7 =
/// Sunday, and the <c>@hourly</c>-style macros. Day of month and day of week are ORed when both are
/// restricted (neither field is <c>*</c>), else ANDed. Matching is on wall-clock minutes;
/// <see cref="StandardCronSchedule"/> maps them to instants across daylight-saving changes.
/// </summary>
internal sealed class StandardCron
{
    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly ulong minutes;
    private readonly uint hours;
    private readonly uint days;
    private readonly uint months;
    private readonly uint weekdays;
    private readonly bool dayOfMonthStar;
    private readonly bool dayOfWeekStar;

    private StandardCron(string text, ulong[] sets, bool[] stars)
    {
        Text = text;
        (minutes, hours, days, months, weekdays) = (sets[0], (uint)sets[1], (uint)sets[2], (uint)sets[3], (uint)sets[4]);
        dayOfMonthStar = stars[2];
        dayOfWeekStar = stars[4];

        // cronie's "wildcard job": the minute or the hour field starts with '*'. It runs at every
        // matching wall-clock time that exists; a fixed-time job runs once per wall-clock time.
        IsWildcard = stars[0] || stars[1];
    }

    /// <summary>The five fields as evaluated (a macro expanded).</summary>
    public string Text { get; }

    public bool IsWildcard { get; }

    /// <summary>True for a macro or five whitespace-separated fields (the form this class reads).</summary>
    public static bool IsStandard(string text) =>
        text.Trim().StartsWith('@') || text.Split(' ', '\t').Count(f => f.Length > 0) == 5;

    public static StandardCron? Parse(string text, out string? error)
    {
        var source = text.Trim();
        if (source.StartsWith('@'))
        {
            if (!Macros.TryGetValue(source, out var expanded))
            {
                error = $"'{text}' is not a known macro; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly";
                return null;
            }

            source = expanded;
        }

        var fields = source.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var sets = new ulong[5];
        var stars = new bool[5];
        for (var i = 0; i < 5; i++)
        {
            var field = Field.All[i];
            var set = field.Parse(fields[i], out var fieldError);
            if (fieldError is not null)
            {
                error = $"'{text}' is not a valid cron expression: {field.Name} '{fields[i]}': {fieldError}";
                return null;
            }

            sets[i] = set;
            // Minute/hour: cronie's wildcard rule (starts with '*'). Day of month/week: unrestricted only
            // as '*' (or '*/1'), so '*/10' with a weekday is ORed, as crontab(5), croniter and robfig/cron do.
            stars[i] = i is 2 or 4 ? fields[i] is "*" or "*/1" : fields[i].StartsWith('*');
        }

        var cron = new StandardCron(string.Join(' ', fields), sets, stars);
        error = cron.NeverRuns() ? $"'{text}' never runs: no month it names has that day" : null;
        return error is null ? cron : null;
    }

    /// <summary>The first matching wall-clock minute in [<paramref name="from"/>, <paramref name="until"/>), or null.</summary>
    public DateTime? FirstMatch(DateTime from, DateTime until)
    {
        var w = from;
        while (w < until)
        {
            if (!Has(months, w.Month))
            {
                w = new DateTime(w.Year, w.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
            }
            else if (!DayMatches(w))
            {
                w = w.Date.AddDays(1);
            }
            else if (!Has(hours, w.Hour))
            {
                w = w.Date.AddHours(w.Hour + 1);
            }
            else if ((minutes & (1UL << w.Minute)) == 0)
            {
                w = w.AddMinutes(1);
            }
            else
            {
                return w;
            }
        }

        return null;
    }

    private bool DayMatches(DateTime wall)
    {
        var dom = Has(days, wall.Day);
        var dow = Has(weekdays, (int)wall.DayOfWeek);
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
    }

    private bool NeverRuns()
    {
        if (dayOfMonthStar || !dayOfWeekStar)
        {
            return false;
        }

        for (var month = 1; month <= 12; month++)
        {
            var length = DateTime.DaysInMonth(2024, month);
            if (Has(months, month) && Enumerable.Range(1, length).Any(d => Has(days, d)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Has(uint set, int n) => (set & (1u << n)) != 0;

    /// <summary>One field's range, names and parsing (cronie's get_list/get_range).</summary>
    private sealed record Field(string Name, int Min, int Max, string[]? Names, int NameBase)
    {
        public static readonly Field[] All =
        [
            new("minute", 0, 59, null, 0),
            new("hour", 0, 23, null, 0),
            new("day of month", 1, 31, null, 0),
            new("month", 1, 12, MonthNames, 1),
            new("day of week", 0, 7, DayNames, 0),
        ];

        public ulong Parse(string text, out string? error)
        {
            ulong set = 0;
            foreach (var item in text.Split(','))
            {
                error = Item(item, ref set);
                if (error is not null)
                {
                    return 0;
                }
            }

            if (Max == 7 && (set & (1UL << 7)) != 0)
            {
                set = (set & ~(1UL << 7)) | 1UL; // 7 is Sunday, as 0
            }

            error = null;
            return set;
        }

        private string? Item(string item, ref ulong set)
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var range = slash < 0 ? item : item[..slash];
            var step = 1;
            if (slash >= 0 && (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step == 0))
            {
                return $"step '{item[(slash + 1)..]}' must be a whole number of 1 or more";
            }

            int low, high;
            if (range == "*")
            {
                (low, high) = (Min, Max == 7 ? 6 : Max);
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                var error = Value(dash < 0 ? range : range[..dash], out low);
                high = low;
                if (error is null && dash >= 0)
                {
                    error = Value(range[(dash + 1)..], out high);
                }
                else if (error is null && slash >= 0)
                {
                    high = Max == 7 ? 6 : Max; // N/step: from N to the end
                }

                if (error is not null)
                {
                    return error;
                }

                if (high < low)
                {
                    return $"range {low}-{high} runs backwards";
                }
            }

            for (var n = low; n <= high; n += step)
            {
                set |= 1UL << n;
            }

            return null;
        }

        private string? Value(string text, out int value)
        {
            if (Names is not null)
            {
                var index = Array.FindIndex(Names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
                if (index >= 0)
                {
                    value = index + NameBase;
                    return null;
                }
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
            {
                return text is "?" or "L" or "W" || text.Contains('#', StringComparison.Ordinal) || text.EndsWith('L') || text.EndsWith('W')
                    ? $"'{text}' is Quartz syntax; write a Quartz 6-field cron (seconds first) to use it"
                    : $"'{text}' is not a number{(Names is null ? "" : " or a name")}";
            }

            return value < Min || value > Max ? $"{value} is out of range: {Name} is {Min}-{Max}" : null;
        }
    }
}
