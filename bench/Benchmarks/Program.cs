using BenchmarkDotNet.Running;

if (args is ["pow-rate", ..])
{
    Ticketing.Benchmarks.ProofOfWorkRate.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Ticketing.Benchmarks.PassVerificationBenchmarks).Assembly).Run(args);
