namespace AirQuality.Contracts;

/// <summary>
/// The sensors due for an alert check in one minute (key: minutes since the Unix epoch). A sensor puts
/// itself here for the moment an alert could change with no new reading (offline deadline, end of a
/// sustain, re-notify), so the check happens even when nothing calls the sensor and its grain is gone.
/// </summary>
[Alias("aq.alert.IAlertDueGrain")]
public interface IAlertDueGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(string sensorId);

    [Alias("Sensors")]
    Task<IReadOnlyList<string>> Sensors();

    /// <summary>Forgets these sensors once they have been checked; returns how many are left (added meanwhile).</summary>
    [Alias("Remove")]
    Task<int> Remove(IReadOnlyList<string> sensorIds);
}

/// <summary>
/// The cluster's one alert clock (key 0): which minutes have sensors due. It never calls out, so a sensor
/// asking for a check while the clock is busy can never deadlock with it; whoever ticks it does the checks.
/// </summary>
[Alias("aq.alert.IAlertClockGrain")]
public interface IAlertClockGrain : IGrainWithIntegerKey
{
    /// <summary>A minute has sensors due (said once per minute, by its <see cref="IAlertDueGrain"/>).</summary>
    [Alias("Announce")]
    Task Announce(long minute);

    /// <summary>
    /// Minutes that have come and that no one else is checking, leased to the caller for a while so two
    /// silos ticking together do not check the same sensors twice.
    /// </summary>
    [Alias("LeaseDue")]
    Task<IReadOnlyList<long>> LeaseDue(int max);

    /// <summary>The minute's sensors have all been checked.</summary>
    [Alias("Done")]
    Task Done(long minute);
}
