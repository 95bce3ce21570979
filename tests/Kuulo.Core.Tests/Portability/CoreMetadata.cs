using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Kuulo.Core.Tests.Portability;

/// <summary>What a compiled assembly references, read with System.Reflection.Metadata.</summary>
internal sealed class CoreMetadata : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReader _md;
    private readonly HashSet<MemberReferenceHandle> _attributeConstructors = new();

    private CoreMetadata(Stream image)
    {
        _pe = new PEReader(image);
        _md = _pe.GetMetadataReader();

        // Attributes the compiler and the .NET SDK stamp on the assembly and on generated members are not
        // code the device runs; the nanoFramework build emits its own (or none, when its mscorlib lacks them).
        foreach (var handle in _md.CustomAttributes)
        {
            var ctor = _md.GetCustomAttribute(handle).Constructor;
            if (ctor.Kind == HandleKind.MemberReference)
            {
                _attributeConstructors.Add((MemberReferenceHandle)ctor);
            }
        }
    }

    public static CoreMetadata Open(string path) => new(File.OpenRead(path));

    public static CoreMetadata Open(byte[] image) => new(new MemoryStream(image));

    /// <summary>The public types an assembly defines and their methods, written as <see cref="ReferencedMembers"/> writes them.</summary>
    public (HashSet<string> Types, HashSet<string> Members) Definitions()
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var provider = new SignatureNames(this);
        foreach (var handle in _md.TypeDefinitions)
        {
            var type = _md.GetTypeDefinition(handle);
            string name = DefinitionName(handle);
            if (name == "<Module>")
            {
                continue;
            }

            types.Add(name);
            foreach (var method in type.GetMethods())
            {
                var definition = _md.GetMethodDefinition(method);
                var signature = definition.DecodeSignature(provider, null);
                members.Add($"{name}::{_md.GetString(definition.Name)}({string.Join(",", signature.ParameterTypes)})");
            }
        }

        return (types, members);
    }

    public IEnumerable<string> AssemblyReferences() =>
        _md.AssemblyReferences.Select(h => _md.GetString(_md.GetAssemblyReference(h).Name)).OrderBy(n => n);

    public IEnumerable<string> ReferencedTypes()
    {
        var attributeTypes = _attributeConstructors
            .Select(h => _md.GetMemberReference(h).Parent)
            .Where(p => p.Kind == HandleKind.TypeReference)
            .Select(p => (TypeReferenceHandle)p)
            .ToHashSet();

        // Enums that only appear as attribute arguments (DebuggerBrowsableState, DebuggingModes, ...).
        var provider = new SignatureNames(this);
        var attributeArguments = _attributeConstructors
            .SelectMany(h => _md.GetMemberReference(h).DecodeMethodSignature(provider, null).ParameterTypes)
            .ToHashSet();
        var usedElsewhere = ReferencedMembers().SelectMany(SignatureTypes).ToHashSet();
        foreach (var handle in _md.TypeReferences)
        {
            var name = TypeName(handle);
            if (attributeTypes.Contains(handle) || IsNestedInAttribute(handle, attributeTypes)
                || (attributeArguments.Contains(name) && !usedElsewhere.Contains(name)))
            {
                continue;
            }

            yield return name;
        }
    }

    public IEnumerable<string> ReferencedMembers()
    {
        var provider = new SignatureNames(this);
        foreach (var handle in _md.MemberReferences)
        {
            if (_attributeConstructors.Contains(handle))
            {
                continue;
            }

            var member = _md.GetMemberReference(handle);
            var parent = member.Parent.Kind == HandleKind.TypeReference
                ? TypeName((TypeReferenceHandle)member.Parent)
                : member.Parent.Kind.ToString();
            var name = _md.GetString(member.Name);
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                var signature = member.DecodeMethodSignature(provider, null);
                yield return $"{parent}::{name}({string.Join(",", signature.ParameterTypes)})";
            }
            else
            {
                yield return $"{parent}::{name}";
            }
        }
    }

    private static IEnumerable<string> SignatureTypes(string member)
    {
        int open = member.IndexOf('(');
        yield return member[..member.IndexOf("::", StringComparison.Ordinal)];
        if (open >= 0)
        {
            foreach (var p in member[(open + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return p.TrimEnd('[', ']', '&');
            }
        }
    }

    /// <summary>Generic instantiations and generic definitions: nanoFramework runs none.</summary>
    public IEnumerable<string> GenericUses()
    {
        for (int row = 1; row <= _md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            var blob = _md.GetBlobReader(_md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).Signature);
            if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
            {
                yield return "generic type instance";
            }
        }

        if (_md.GetTableRowCount(TableIndex.MethodSpec) > 0)
        {
            yield return "generic method instance";
        }

        foreach (var handle in _md.TypeDefinitions)
        {
            var type = _md.GetTypeDefinition(handle);
            if (type.GetGenericParameters().Count > 0)
            {
                yield return "generic type " + _md.GetString(type.Name);
            }

            foreach (var method in type.GetMethods())
            {
                if (_md.GetMethodDefinition(method).GetGenericParameters().Count > 0)
                {
                    yield return "generic method " + _md.GetString(_md.GetMethodDefinition(method).Name);
                }
            }
        }
    }

    public void Dispose() => _pe.Dispose();

    private bool IsNestedInAttribute(TypeReferenceHandle handle, HashSet<TypeReferenceHandle> attributeTypes)
    {
        var scope = _md.GetTypeReference(handle).ResolutionScope;
        return scope.Kind == HandleKind.TypeReference && attributeTypes.Contains((TypeReferenceHandle)scope);
    }

    private string DefinitionName(TypeDefinitionHandle handle)
    {
        var type = _md.GetTypeDefinition(handle);
        var name = _md.GetString(type.Name);
        if (type.GetDeclaringType() is { IsNil: false } outer)
        {
            return DefinitionName(outer) + "+" + name;
        }

        var ns = _md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private string TypeName(TypeReferenceHandle handle)
    {
        var type = _md.GetTypeReference(handle);
        var name = _md.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return TypeName((TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        var ns = _md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Renders signature types as the allow-list writes them, e.g. System.Char[].</summary>
    private sealed class SignatureNames(CoreMetadata owner) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Void => "System.Void",
            PrimitiveTypeCode.Boolean => "System.Boolean",
            PrimitiveTypeCode.Char => "System.Char",
            PrimitiveTypeCode.SByte => "System.SByte",
            PrimitiveTypeCode.Byte => "System.Byte",
            PrimitiveTypeCode.Int16 => "System.Int16",
            PrimitiveTypeCode.UInt16 => "System.UInt16",
            PrimitiveTypeCode.Int32 => "System.Int32",
            PrimitiveTypeCode.UInt32 => "System.UInt32",
            PrimitiveTypeCode.Int64 => "System.Int64",
            PrimitiveTypeCode.UInt64 => "System.UInt64",
            PrimitiveTypeCode.Single => "System.Single",
            PrimitiveTypeCode.Double => "System.Double",
            PrimitiveTypeCode.String => "System.String",
            PrimitiveTypeCode.Object => "System.Object",
            PrimitiveTypeCode.IntPtr => "System.IntPtr",
            PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
            PrimitiveTypeCode.TypedReference => "System.TypedReference",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => owner.TypeName(handle);
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => owner.DefinitionName(handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => "typespec";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
    }
}
