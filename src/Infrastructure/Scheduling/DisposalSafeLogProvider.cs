using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// Hangfire's log provider is process-wide (<c>LogProvider</c>): the last host to configure Hangfire sets its own
/// logger factory there. When several hosts share a process (tests) and that host stops, its disposed factory would
/// throw <see cref="ObjectDisposedException"/> from every later <c>GetLogger</c> of the hosts still running (a
/// dashboard request, a server starting). This provider logs to the host's factory while it lives, and drops the
/// messages of the hosts that are gone.
/// </summary>
internal sealed class DisposalSafeLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return SafeLog.Silent;
        }
    }

    private sealed class SafeLog(ILog? inner) : ILog
    {
        public static readonly SafeLog Silent = new(null);

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
