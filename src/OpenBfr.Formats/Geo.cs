namespace OpenBfr.Formats;

/// <summary>Distances on the Earth for track points.</summary>
public static class Geo
{
    /// <summary>Mean Earth radius in metres (IUGG mean radius R1 = 6371.0088 km).</summary>
    public const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Great-circle distance in metres by the haversine formula.</summary>
    public static double HaversineMeters(double lat1Deg, double lon1Deg, double lat2Deg, double lon2Deg)
    {
        var dLat = DegToRad(lat2Deg - lat1Deg);
        var dLon = DegToRad(lon2Deg - lon1Deg);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(DegToRad(lat1Deg)) * Math.Cos(DegToRad(lat2Deg)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>FIT semicircles (2^31 per 180°) to degrees.</summary>
    public static double SemicirclesToDegrees(int semicircles) => semicircles * (180.0 / 2147483648.0);

    /// <summary>Degrees to FIT semicircles, rounded.</summary>
    public static int DegreesToSemicircles(double degrees) => (int)Math.Round(degrees * (2147483648.0 / 180.0));

    private static double DegToRad(double degrees) => degrees * Math.PI / 180.0;
}
