using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Ticketing.Benchmarks.PassVerificationBenchmarks).Assembly).Run(args);
