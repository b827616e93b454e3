namespace MqttRules.Engine;

/// <summary>Why an evaluation of a rule failed; the text is built only when a line is logged.</summary>
internal enum EvaluationFailure
{
    /// <summary>The rule's <c>value:</c> path is not in the payload (detail: the path).</summary>
    ValueMissing,

    /// <summary>An anomaly rule's value is not a finite number.</summary>
    ValueNotNumber,

    /// <summary><c>when</c> gave no true/false (detail: its source).</summary>
    WhenUndecided,

    /// <summary><c>clear</c> gave no true/false (detail: its source).</summary>
    ClearUndecided,

    /// <summary>A template hole could not be evaluated and rendered empty (detail: the hole).</summary>
    HoleEmpty,

    /// <summary>A payload or body that is one hole could not be evaluated: that action was not run (detail: the hole).</summary>
    HoleSkipped,

    /// <summary>An unexpected exception (detail: its message).</summary>
    Crashed,
}
