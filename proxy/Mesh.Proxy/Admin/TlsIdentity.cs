using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Proxy.Admin;

/// <summary>The peer identity of an mTLS hop: the first URI SAN (a SPIFFE id), else the certificate subject.</summary>
internal static class TlsIdentity
{
    public static string? Of(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        foreach (var ext in certificate.Extensions)
        {
            if (ext.Oid?.Value != "2.5.29.17")
            {
                continue;
            }

            try
            {
                var reader = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence();
                while (reader.HasData)
                {
                    var tag = reader.PeekTag();

                    // GeneralName uniformResourceIdentifier is [6] IA5String (RFC 5280 section 4.2.1.6).
                    if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6)
                    {
                        return reader.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                    }

                    reader.ReadEncodedValue();
                }
            }
            catch (AsnContentException)
            {
            }
        }

        return certificate.Subject;
    }
}
