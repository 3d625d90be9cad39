using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Cuff.Tests.Session;

/// <summary>
/// The simulator's limbs vary by body position (Hughes et al. 2018 LOPs, position-dependent noise),
/// and a LOP sets pressures only for a protocol done in the position it was measured in (the core's
/// Prescriber refuses others). Tests that run a catalog protocol's sets and timings on a limb of any
/// position give it this: the same protocol declared for the limb's position, as a clinic's own
/// protocol would be (seated knee extensions, say, instead of squats). The physics is what varies.
/// </summary>
internal static class ProtocolPositions
{
    /// <summary><paramref name="protocol"/> itself when it is done in <paramref name="position"/>, else its copy declared for that position.</summary>
    public static Protocol DoneIn(this Protocol protocol, BodyPosition position) => protocol.IsDoneIn(position)
        ? protocol
        : new Protocol(protocol.Name, $"{protocol.Title}, done {position.ToString().ToLowerInvariant()}", protocol.Modality, protocol.LimbKind, [position],
            protocol.Exercises, protocol.DeflationBetweenExercises, protocol.Load, protocol.Frequency, protocol.Sources);
}
