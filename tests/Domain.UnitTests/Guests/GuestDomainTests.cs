using Ticketing.Domain.Accounts;
using Ticketing.Domain.Guests;

namespace Ticketing.Domain.UnitTests.Guests;

public sealed class GuestDomainTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("010-1234-5678", "+821012345678")]
    [InlineData("01012345678", "+821012345678")]
    [InlineData("+82 10 1234 5678", "+821012345678")]
    [InlineData("+82 010-1234-5678", "+821012345678")]
    [InlineData("0082-10-1234-5678", "+821012345678")]
    [InlineData("(010) 1234.5678", "+821012345678")]
    [InlineData("０１０-１２３４-５６７８", "+821012345678")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("02-123-4567", "+8221234567")]
    public void Phone_numbers_in_any_spelling_become_one_e164_form(string input, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345678")]
    [InlineData("010-1234-5678 ext 9")]
    [InlineData("+0 10 1234 5678")]
    [InlineData("010+12345678")]
    [InlineData("+1234567")]
    [InlineData("+8210123")]
    [InlineData("+1 2345 6789 0123 4567")]
    [InlineData("tel:01012345678")]
    public void Anything_else_is_not_a_phone_number(string? input) => Assert.Null(PhoneNumber.Normalize(input));

    [Fact]
    public void A_phone_is_shown_by_its_last_four_digits() => Assert.Equal("*********5678", PhoneNumber.Mask("+821012345678"));

    [Fact]
    public void Booking_numbers_are_ten_unambiguous_characters_and_typed_forms_fold_to_them()
    {
        var numbers = Enumerable.Range(0, 2000).Select(_ => BookingNumber.New()).ToList();
        Assert.All(numbers, n => Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{10}$", n));
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        var number = numbers[0];
        Assert.Equal(number, BookingNumber.Normalize(BookingNumber.Format(number).ToLowerInvariant()));
        Assert.Equal(number, BookingNumber.Normalize($" {number[..5]} - {number[5..]} "));
        Assert.Null(BookingNumber.Normalize("ABCDE-FGHI0"));
        Assert.Null(BookingNumber.Normalize("ABCDE-FGHJ"));
        Assert.Null(BookingNumber.Normalize("ABCDE-FGHJKM"));
    }

    [Fact]
    public void A_code_is_stored_as_a_hash_works_once_and_only_before_it_expires()
    {
        var (verification, code) = PhoneVerification.Start("+821012345678", Now);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.DoesNotContain(code, verification.CodeHash, StringComparison.Ordinal);
        Assert.Equal(CodeCheck.Wrong, verification.Confirm(code == "000000" ? "111111" : "000000", Now));
        Assert.Equal(CodeCheck.Accepted, verification.Confirm(code, Now.AddMinutes(4)));
        Assert.Equal(CodeCheck.Used, verification.Confirm(code, Now.AddMinutes(4)));

        var (late, lateCode) = PhoneVerification.Start("+821012345678", Now);
        Assert.Equal(CodeCheck.Expired, late.Confirm(lateCode, Now + PhoneVerification.Lifetime));
    }

    [Fact]
    public void Five_wrong_codes_end_a_verification_even_for_the_right_code()
    {
        var (verification, code) = PhoneVerification.Start("+821012345678", Now);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < PhoneVerification.MaxAttempts; i++)
        {
            Assert.Equal(CodeCheck.Wrong, verification.Confirm(wrong, Now));
        }

        Assert.Equal(CodeCheck.TooManyAttempts, verification.Confirm(code, Now));
        Assert.False(verification.IsOpenAt(Now));
    }

    [Fact]
    public void A_guest_account_is_keyed_by_its_phone_has_no_password_and_the_guest_role()
    {
        var guest = User.RegisterGuest("+821012345678", Now);
        Assert.Equal(Role.Guest, guest.Role);
        Assert.Equal("tel:+821012345678", guest.NormalizedEmail);
        Assert.Equal(User.GuestKeyOf("+821012345678"), guest.NormalizedEmail);
        Assert.Equal(User.NoPassword, guest.PasswordHash);
        Assert.DoesNotContain('@', guest.NormalizedEmail);
    }
}
