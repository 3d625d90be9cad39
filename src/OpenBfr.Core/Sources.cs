namespace OpenBfr.Core;

/// <summary>
/// The published sources behind OpenBFR's clinical defaults, as one-line citations. Code that
/// encodes a number refers to one of these so the JSON, the CLI and the web app can show it.
/// </summary>
public static class Sources
{
    public const string Patterson2019 = "Patterson et al. 2019, Front Physiol 10:533 (BFR position stand)";
    public const string Loenneke2012 = "Loenneke et al. 2012, Eur J Appl Physiol 112:2903 (LOP and cuff width)";
    public const string Hughes2018 = "Hughes et al. 2018, PeerJ 6:e4697 (LOP by body position)";
    public const string RevBrasMedEsporte2019 = "Rev Bras Med Esporte 2019;25(6):494 (thigh AOP estimation, 18 cm cuff)";
    public const string Spitz2024 = "Spitz et al. 2024 (narrow-cuff thigh AOP cannot be estimated precisely)";
    public const string SmartCuffsValidation2022 = "SmartCuffs validation 2022 (Doppler LOP arm 174±49, leg 195±32 mmHg)";
    public const string SmartCuffsManual = "SmartCuffs user manual (never > 20 min without deflation; stop on symptoms)";
    public const string Brandner2018 = "Brandner et al. 2018, Clin Physiol Funct Imaging 38:33 (BFR side effects)";
    public const string Swain2025 = "Swain et al. 2025 (pressure regulation of BFR devices during leg press)";
    public const string SeedRunnersEndurance = "seed: 'BFR Training for Runners & Endurance Athletes' (Smart Tools)";
    public const string SeedRunnersKinetix = "seed: 'Blood Flow Restriction for Runners' (Kinetix PT)";
    public const string SeedSecret = "seed: 'Is Blood Flow Restriction Training the Secret…'";
    public const string Owens = "Owens Recovery Science BFR guidance (arm 40–50% LOP)";
    public const string Park2010 = "Park et al. 2010, Eur J Appl Physiol 109:591 (BFR walking, VO2max +11.6%)";
    public const string Abe2010 = "Abe et al. 2010, J Sports Sci Med 9:452 (BFR cycling, VO2max +6.4%)";
    public const string Taylor2016 = "Taylor et al. 2016, Eur J Appl Physiol 116:1431 (BFR in sprint-interval recovery, VO2max +4.5%)";
    public const string Kacin2015 = "Kacin et al. 2015 (BFR risk assessment tool: 5 points = no BFR)";
    public const string Nascimento2022 = "Nascimento et al. 2022 (BFR screening red flags)";
    public const string DanielsGilbert1979 = "Daniels & Gilbert 1979, Oxygen Power (VDOT)";
    public const string Acsm = "ACSM Guidelines for Exercise Testing and Prescription (1.5-mile run)";
    public const string Epley1985 = "Epley 1985 (1RM = w(1 + r/30))";
    public const string Brzycki1993 = "Brzycki 1993, JOPERD 64:88 (1RM = w·36/(37 − r))";
    public const string Foster2001 = "Foster et al. 2001, J Strength Cond Res 15:109 (session-RPE)";
    public const string Williams2017 = "Williams et al. 2017, Br J Sports Med 51:209 (EWMA acute:chronic ratio)";
    public const string Rambaud2018 = "Rambaud et al. 2018, Br J Sports Med 52:1437 (return-to-run criteria)";
    public const string Grindem2020 = "Grindem et al. 2016/2020 (LSI ≥ 90% for return to sport)";
    public const string Tanaka2001 = "Tanaka et al. 2001, J Am Coll Cardiol 37:153 (HRmax = 208 − 0.7 × age)";
    public const string Bosquet2007 = "Bosquet et al. 2007, Med Sci Sports Exerc 39:1358 (taper: 8–14 days, volume −41–60%, intensity kept)";
    public const string Hughes2017 = "Hughes et al. 2017, Br J Sports Med 51:1003 (BFR in musculoskeletal rehabilitation, meta-analysis)";
    public const string Gabbett2016 = "Gabbett 2016, Br J Sports Med 50:273 (training–injury prevention paradox; ACWR > 1.5 spike)";
    public const string Noyes1991 = "Noyes et al. 1991, Am J Sports Med 19:513 (hop tests after ACL rupture; 6 m timed hop LSI = uninvolved / involved time × 100)";
    public const string ParqPlus = "PAR-Q+ (PAR-Q+ Collaboration, Warburton et al.; after the PAR-Q, Canadian Society for Exercise Physiology): \"This physical activity clearance is valid for a maximum of 12 months from the date it is completed and becomes invalid if your condition changes so that you would answer YES to any of the questions.\"";
}
