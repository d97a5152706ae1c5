using System;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests
{
    public class CallGuardTests
    {
        [Fact]
        public void A_second_thread_entering_while_the_first_is_inside_throws_and_names_the_running_call()
        {
            var guard = new CallGuard("LeNet5");
            using var inside = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var first = Task.Run(() =>
            {
                guard.Enter("Forward");
                inside.Set();
                release.Wait();
                guard.Exit();
            });

            inside.Wait();
            var exception = Assert.Throws<InvalidOperationException>(() => guard.Enter("TrainStep"));
            Assert.Equal(
                "This LeNet5 instance is already running Forward on another thread; use one instance per thread (a network's buffers hold one call's work).",
                exception.Message);

            release.Set();
            first.Wait();
            guard.Enter("TrainStep");
            guard.Exit();
        }

        [Fact]
        public void The_owning_thread_may_enter_again_and_the_guard_opens_after_the_outer_exit()
        {
            var guard = new CallGuard("Net");
            guard.Enter("TrainStep");
            guard.Enter("Forward");
            guard.Exit();

            var whileOuterRuns = OnAnotherThread(() => guard.Enter("Forward"));
            Assert.IsType<InvalidOperationException>(whileOuterRuns);
            Assert.Contains("already running TrainStep", whileOuterRuns.Message);

            guard.Exit();
            Assert.Null(OnAnotherThread(() =>
            {
                guard.Enter("Forward");
                guard.Exit();
            }));
        }

        /// <summary>Runs <paramref name="action"/> on a new thread (a task could be inlined on this one) and returns what it threw.</summary>
        private static Exception? OnAnotherThread(Action action)
        {
            Exception? thrown = null;
            var thread = new Thread(() => thrown = Record.Exception(action));
            thread.Start();
            thread.Join();
            return thrown;
        }
    }
}
