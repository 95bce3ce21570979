using Kuulo.Firmware.Tests.Host;

// The firmware's storage code says File, Directory and FileStream after `using System.IO;`. C# looks in the
// enclosing namespace before the using directives, so these types, declared in Kuulo.Firmware.Storage, are what
// the linked firmware sources call on the host: the same calls, on the simulated drive I:, with the power cuts.
// The firmware's own source is compiled unchanged.
namespace Kuulo.Firmware.Storage
{
    public static class File
    {
        public static bool Exists(string path) => System.IO.File.Exists(FlashDrive.HostPath(path));

        public static byte[] ReadAllBytes(string path) => System.IO.File.ReadAllBytes(FlashDrive.HostPath(path));

        public static System.IO.FileStream Create(string path)
        {
            FlashDrive.Spend();
            return new CuttableStream(FlashDrive.HostPath(path));
        }

        public static void Delete(string path)
        {
            FlashDrive.Spend();
            System.IO.File.Delete(FlashDrive.HostPath(path));
        }

        public static void Move(string sourceFileName, string destFileName)
        {
            FlashDrive.Spend();
            // nanoFramework's File.Move, like .NET's, refuses to overwrite.
            System.IO.File.Move(FlashDrive.HostPath(sourceFileName), FlashDrive.HostPath(destFileName));
        }
    }

    public static class Directory
    {
        public static bool Exists(string path) => System.IO.Directory.Exists(FlashDrive.HostPath(path));

        public static System.IO.DirectoryInfo CreateDirectory(string path)
        {
            FlashDrive.Spend();
            return System.IO.Directory.CreateDirectory(FlashDrive.HostPath(path));
        }

        public static string[] GetFiles(string path) =>
            System.IO.Directory.GetFiles(FlashDrive.HostPath(path)).Select(FlashDrive.DevicePath).ToArray();
    }

    /// <summary>A file being written when the power may fail: the bytes granted reach flash, then it stops.</summary>
    internal sealed class CuttableStream(string path) : System.IO.FileStream(path, System.IO.FileMode.Create)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            int granted = FlashDrive.Take(count);
            base.Write(buffer, offset, granted);
            if (granted < count)
            {
                base.Flush();
                throw new PowerCut();
            }
        }
    }
}
