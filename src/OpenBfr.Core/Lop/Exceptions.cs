namespace OpenBfr.Core.Lop;

/// <summary>The estimation equation does not apply to these inputs; measure instead.</summary>
public sealed class EstimationRefusedException(string field, string value, string reason)
    : Exception($"{field} {value}: {reason}")
{
    /// <summary>The input that makes the estimate inapplicable.</summary>
    public string Field { get; } = field;

    public string Value { get; } = value;

    public string Reason { get; } = reason;
}

/// <summary>A LOP cannot set a pressure: another limb or position, or too old.</summary>
public sealed class LopNotUsableException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
